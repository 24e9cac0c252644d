#include "engine/net/handshake_gate.hpp"

#include <doctest/doctest.h>

#include <string>

namespace handshake_gate_test {

using rcbatch::engine::HandshakeGate;

TEST_SUITE("handshake_gate") {
    TEST_CASE("slots are taken up to the limit, and given back") {
        HandshakeGate gate(2);
        CHECK(gate.try_enter());
        CHECK(gate.try_enter());
        CHECK_FALSE(gate.try_enter());
        CHECK(gate.inside() == 2);
        gate.leave();
        CHECK(gate.inside() == 1);
        CHECK(gate.try_enter());
        CHECK(gate.peak() == 2);
    }

    TEST_CASE("a slot given back goes to the oldest waiter, never to a newcomer") {
        HandshakeGate gate(1);
        REQUIRE(gate.try_enter());
        std::string woken;
        HandshakeGate::Waiter first{[&] { woken += "1"; }};
        HandshakeGate::Waiter second{[&] { woken += "2"; }};
        gate.add_waiter(&first);
        gate.add_waiter(&second);
        gate.leave();
        CHECK(woken == "1");
        CHECK(gate.inside() == 1);  // the slot passed to the first waiter
        CHECK_FALSE(gate.try_enter());
        gate.leave();
        CHECK(woken == "12");
        gate.leave();
        CHECK(gate.inside() == 0);
        CHECK(gate.peak() == 1);
    }

    TEST_CASE("a waiter that gave up is not woken, and nobody jumps a queue") {
        HandshakeGate gate(1);
        REQUIRE(gate.try_enter());
        bool woken = false;
        HandshakeGate::Waiter gone{[&] { woken = true; }};
        gate.add_waiter(&gone);
        CHECK_FALSE(gate.try_enter());  // one waits already
        gate.remove_waiter(&gone);
        gate.leave();
        CHECK_FALSE(woken);
        CHECK(gate.inside() == 0);
        CHECK(gate.try_enter());
    }

    TEST_CASE("a limit of 0 is 1") { CHECK(HandshakeGate(0).limit() == 1); }
}

}  // namespace handshake_gate_test
