// How the tool notices a server that stopped answering without closing the connection
// (its host froze, the network was cut, the process was stopped): a client waiting for
// its answer would otherwise wait forever.
//
// - Always, on TCP: keepalive probes find a dead host or a cut network within about a
//   minute and a half, and cost nothing while the peer is alive: its kernel answers them
//   even during a statement that runs for hours, so a long fingerprint is never cut short.
//   Unix sockets need none (the peer's death closes them).
// - With --timeout N: the server ends any statement after N seconds, and the client
//   gives up kTimeoutGraceSeconds later when the server could not even say so (a
//   stopped or frozen server process, which still answers keepalives).
#pragma once

namespace fingerprint::cli {

// Seconds of silence before the first probe, seconds between probes, unanswered probes
// before the connection is declared dead. libpq takes the same three numbers.
inline constexpr int kKeepaliveIdleSeconds = 30;
inline constexpr int kKeepaliveIntervalSeconds = 10;
inline constexpr int kKeepaliveProbes = 6;

// How much longer than --timeout the client waits for a server that has not reported
// its own statement timeout.
inline constexpr unsigned kTimeoutGraceSeconds = 5;

// Turns keepalive probes on for fd with the numbers above when it is a TCP socket;
// does nothing for other sockets. Returns false if the system refused.
bool EnableTcpKeepalive(int fd) noexcept;

} // namespace fingerprint::cli
