"""The inbox of inbound webhook deliveries (SMS and e-mail providers, CRMs): one row per source
and event id, so a replayed delivery is processed once."""
