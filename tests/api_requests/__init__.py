"""Tests of the request API: residents' requests, company offers and jobs, the centre's verbs."""
