//! SSRF safety: a page or redirect on the public web must not steer the crawler into
//! the network it runs in (loopback, private ranges, link-local, cloud metadata at
//! 169.254.169.254, ...).
//!
//! Two checks, because a URL names its target two ways: a literal IP in the URL is
//! judged before the request ([`AddressGuard::check_url`]), and a host name is judged
//! on the addresses it resolves to, inside the HTTP client's own resolver
//! ([`GuardedResolver`]), so the address checked is the address connected to (no
//! window for DNS rebinding). The alliance's start hosts are trusted: a start URL on
//! 127.0.0.1 is the user's explicit choice (tests and `demo` crawl loopback).

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// A request refused because its target address is not public.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("refused: {host} is a non-public address ({address}); not fetched")]
pub struct Refused {
    pub host: String,
    pub address: IpAddr,
}

/// True for addresses on the public internet; false for loopback, private
/// (10/8, 172.16/12, 192.168/16, fc00::/7), shared (100.64/10), link-local
/// (169.254/16, fe80::/10), unspecified, broadcast and multicast addresses.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(address: Ipv4Addr) -> bool {
    let [first, second, ..] = address.octets();
    let shared = first == 100 && (64..128).contains(&second);
    let this_network = first == 0;
    !(address.is_loopback()
        || address.is_private()
        || address.is_link_local()
        || address.is_unspecified()
        || address.is_broadcast()
        || address.is_multicast()
        || shared
        || this_network)
}

fn is_public_v6(address: Ipv6Addr) -> bool {
    let first = address.segments()[0];
    let unique_local = (first & 0xfe00) == 0xfc00;
    let link_local = (first & 0xffc0) == 0xfe80;
    !(address.is_loopback()
        || address.is_unspecified()
        || address.is_multicast()
        || unique_local
        || link_local)
}

/// Knows which hosts are trusted (the start hosts) and judges URLs and addresses.
#[derive(Debug, Clone, Default)]
pub struct AddressGuard {
    trusted_hosts: Arc<HashSet<String>>,
}

impl AddressGuard {
    /// Trusts the hosts of `start_urls`: whatever they resolve to may be fetched.
    pub fn trusting<'a>(start_urls: impl IntoIterator<Item = &'a Url>) -> Self {
        let trusted_hosts = start_urls
            .into_iter()
            .filter_map(|url| url.host_str())
            .map(str::to_ascii_lowercase)
            .collect();
        AddressGuard {
            trusted_hosts: Arc::new(trusted_hosts),
        }
    }

    pub fn is_trusted(&self, host: &str) -> bool {
        self.trusted_hosts.contains(&host.to_ascii_lowercase())
    }

    /// Refuses a URL whose host is a literal non-public IP, unless trusted. Host
    /// names pass here; the resolver judges their addresses.
    pub fn check_url(&self, url: &Url) -> Result<(), Refused> {
        let address = match url.host() {
            Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
            _ => return Ok(()),
        };
        let host = url.host_str().unwrap_or_default();
        if is_public(address) || self.is_trusted(host) {
            Ok(())
        } else {
            Err(Refused {
                host: host.to_string(),
                address,
            })
        }
    }

    /// The public addresses among `addresses` (all of them for a trusted host);
    /// `Err` when none is left.
    pub fn filter_addresses(
        &self,
        host: &str,
        addresses: Vec<SocketAddr>,
    ) -> Result<Vec<SocketAddr>, Refused> {
        if self.is_trusted(host) {
            return Ok(addresses);
        }
        let refused = addresses.first().map(SocketAddr::ip);
        let public: Vec<SocketAddr> = addresses
            .into_iter()
            .filter(|address| is_public(address.ip()))
            .collect();
        match (public.is_empty(), refused) {
            (true, Some(address)) => Err(Refused {
                host: host.to_string(),
                address,
            }),
            _ => Ok(public),
        }
    }
}

/// The HTTP client's DNS resolver: the system resolver, then [`AddressGuard`].
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    guard: AddressGuard,
}

impl GuardedResolver {
    pub fn new(guard: AddressGuard) -> Self {
        GuardedResolver { guard }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.guard.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addresses: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed = guard.filter_addresses(&host, addresses)?;
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

/// Finds a [`Refused`] anywhere in an error's chain of sources (reqwest wraps the
/// resolver's error a few layers deep).
pub fn find_refused(error: &(dyn std::error::Error + 'static)) -> Option<Refused> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(refused) = error.downcast_ref::<Refused>() {
            return Some(refused.clone());
        }
        current = error.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn classifies_addresses() {
        for private in [
            "127.0.0.1",
            "127.0.0.2",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "169.254.169.254",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(ip(private)), "{private} should not be public");
        }
        for public in [
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "8.8.8.8",
        ] {
            assert!(is_public(ip(public)), "{public} should be public");
        }
    }

    #[test]
    fn literal_ips_are_refused_unless_trusted() {
        let start = Url::parse("http://127.0.0.1:8080/").unwrap();
        let guard = AddressGuard::trusting([&start]);
        assert!(guard.check_url(&start).is_ok());
        let other = Url::parse("http://127.0.0.2:8080/").unwrap();
        assert_eq!(
            guard.check_url(&other),
            Err(Refused {
                host: "127.0.0.2".into(),
                address: ip("127.0.0.2")
            })
        );
        let metadata = Url::parse("http://169.254.169.254/latest/").unwrap();
        assert!(guard.check_url(&metadata).is_err());
        let v6 = Url::parse("http://[::1]/").unwrap();
        assert!(guard.check_url(&v6).is_err());
        assert!(guard
            .check_url(&Url::parse("http://example.org/").unwrap())
            .is_ok());
    }

    #[test]
    fn resolved_addresses_are_filtered() {
        let guard = AddressGuard::trusting([&Url::parse("http://localhost:1/").unwrap()]);
        let loopback = vec![SocketAddr::new(ip("127.0.0.1"), 0)];
        assert_eq!(
            guard.filter_addresses("localhost", loopback.clone()),
            Ok(loopback.clone())
        );
        assert!(guard.filter_addresses("evil.example", loopback).is_err());
        let mixed = vec![
            SocketAddr::new(ip("10.0.0.1"), 0),
            SocketAddr::new(ip("93.184.216.34"), 0),
        ];
        assert_eq!(
            guard.filter_addresses("mixed.example", mixed),
            Ok(vec![SocketAddr::new(ip("93.184.216.34"), 0)])
        );
    }

    #[tokio::test]
    async fn resolver_refuses_localhost_when_untrusted() {
        let resolver = GuardedResolver::new(AddressGuard::default());
        let name: Name = "localhost".parse().unwrap();
        let error = match resolver.resolve(name).await {
            Ok(_) => panic!("localhost resolved through the guard"),
            Err(error) => error,
        };
        assert!(find_refused(error.as_ref()).is_some());
    }
}
