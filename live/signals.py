"""What the live app tells other apps.

``breaking_update`` is sent (with ``update=``) once an update posted as breaking news is
saved and committed. The newsletter emails the alert (``newsletter/alerts.py``); without a
receiver nothing is sent.
"""

from django.dispatch import Signal

breaking_update = Signal()
