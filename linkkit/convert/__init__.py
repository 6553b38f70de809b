"""Bring existing passes over: Apple pass.json / .pkpass and Google Wallet objects to Samsung cards."""
