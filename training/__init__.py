"""Training AskDoc's question encoder (not installed with the bot; see training/README.md)."""
