#include "dead_peer.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace fingerprint::cli {

namespace {

bool Set(int fd, int level, int option, int value) noexcept {
	return setsockopt(fd, level, option, &value, sizeof value) == 0;
}

} // namespace

bool EnableTcpKeepalive(int fd) noexcept {
	sockaddr_storage address{};
	socklen_t length = sizeof address;
	if (fd < 0 || getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
		return false;
	if (address.ss_family != AF_INET && address.ss_family != AF_INET6)
		return true; // a unix socket: the peer's death closes it
	return Set(fd, SOL_SOCKET, SO_KEEPALIVE, 1) &&
	       Set(fd, IPPROTO_TCP, TCP_KEEPIDLE, kKeepaliveIdleSeconds) &&
	       Set(fd, IPPROTO_TCP, TCP_KEEPINTVL, kKeepaliveIntervalSeconds) &&
	       Set(fd, IPPROTO_TCP, TCP_KEEPCNT, kKeepaliveProbes);
}

} // namespace fingerprint::cli
