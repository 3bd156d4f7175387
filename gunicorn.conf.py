"""gunicorn reads this file from the working folder (`make run`, the production command).

The access log names the path only: a query string (a search's words, a filter's name)
or a referring page's address can hold personal data, and logs are kept and shipped
where the application's access rules do not reach.
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'

# Threads, not sync workers: a browser opens connections before it needs them and leaves
# tabs idle, and each such connection would hold a sync worker until it times out. The
# Procfile and the README's production command say so too; this covers any gunicorn
# started from this folder without them.
worker_class = "gthread"
threads = 8
