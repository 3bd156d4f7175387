"""Every named URL of the project, for the access-matrix test."""

from django.urls import URLPattern, URLResolver, get_resolver


def named_urls(resolver: URLResolver | None = None, namespace: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names.extend(named_urls(pattern, inner))
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}{pattern.name}")
    return names
