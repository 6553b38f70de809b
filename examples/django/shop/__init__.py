"""An example Django shop serving the Samsung Wallet partner endpoints with linkkit.django."""
