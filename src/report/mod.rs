//! Reports: CSV and JSON Lines files of a run, written atomically.
