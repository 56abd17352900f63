//! The async crawler: frontier, robots.txt, per-host politeness and fetching.
