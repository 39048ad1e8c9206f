"""OFD (GB/T 33190-2016), the Chinese fixed-layout format government offices issue documents in."""
