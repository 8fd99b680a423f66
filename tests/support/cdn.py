"""A frontend-cache backend that records the URLs it is asked to purge."""


class RecordingBackend:
    urls: list[str] = []

    def __init__(self, params):
        self.hostnames = ["*"]

    def invalidates_hostname(self, hostname):
        return True

    def purge(self, url):
        RecordingBackend.urls.append(url)

    def purge_batch(self, urls):
        RecordingBackend.urls.extend(urls)
