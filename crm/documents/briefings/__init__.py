"""Briefings before a visit: the people, the history of ties with each city, the agenda; as Word, PDF, Excel."""
