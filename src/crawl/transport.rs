//! Where a crawl's requests go: the network, the network with a copy of each exchange
//! to an archive, or an archive alone (see [`crate::record::ExchangeSink`]).

use std::sync::Arc;

use crate::record::{ExchangeSink, ExchangeSource};

/// Where a crawl's requests go: the network (the default), the network with a copy of
/// each exchange to an archive, or an archive alone.
#[derive(Clone, Default)]
pub enum Transport {
    #[default]
    Network,
    Archived(Arc<dyn ExchangeSink>),
    Replay(Arc<dyn ExchangeSource>),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Transport::Network => "Network",
            Transport::Archived(_) => "Archived",
            Transport::Replay(_) => "Replay",
        })
    }
}
