"""Lead capture around the clock: website forms and portal posts to a brokerage's capture URL."""
