"""The API's anonymous rate limit, kept in the cache: while the cache server is down it lets
requests through (and logs it) instead of answering 500; a cache is never a reason to refuse."""

import logging

from rest_framework import throttling
from rest_framework.request import Request
from rest_framework.views import APIView

logger = logging.getLogger(__name__)


class AnonRateThrottle(throttling.AnonRateThrottle):
    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as error:  # any cache backend's failure: Redis down, timeouts
            logger.warning(
                "Rate limit not applied, the cache failed: %s: %s", type(error).__name__, error
            )
            return True
