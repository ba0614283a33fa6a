"""GraphQL for CRM connections and the dashboard's sync stats."""
