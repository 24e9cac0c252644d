#pragma once
// The completion token the engine's coroutines wait with: the error comes back as a value
// beside the result (a tuple), never as an exception.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace rcbatch::engine {

inline constexpr auto tuple_awaitable = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace rcbatch::engine
