// The sandbox library; its sources arrive with the sandbox issue.
