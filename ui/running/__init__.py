"""Running the six months on screen: dashboard, meeting log, start/end/complete, check-ins, chase e-mails."""
