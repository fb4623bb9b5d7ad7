"""AskDoc: an "Ask a doctor" bot for Telegram."""

import os

# numpy's OpenBLAS would split each cosine search over the bank across every core, and its
# threads spin while they wait: the same answer for twice the CPU (28 -> 53 ms a question with
# the encoder on 2 cores). Set before anything imports numpy; an operator's own value wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
