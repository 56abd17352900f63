//! Bytes to text: BOM, HTTP `Content-Type`, `<meta charset>`, then detection.
