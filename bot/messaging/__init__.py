"""The Telegram plumbing that is not a handler: the disclaimer choke point every Bot API call
passes (sending), the HTTP transport, the outbox courier, and the per-chat update processor."""
