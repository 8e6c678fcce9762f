class DocumentError(Exception):
    """A document that cannot be rendered, sealed or read; the message is translated."""

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code
