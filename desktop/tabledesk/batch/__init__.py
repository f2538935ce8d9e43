"""Many documents at once: the process pool (``pool``), the queue's worker (``queue_job``) and
``tabledesk check`` (``cli``). May import everything below it; nothing but ``cli`` and ``ui``
imports it."""
