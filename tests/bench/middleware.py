"""Bench-only middleware: each response says how many SQL queries and how much CPU time of the
worker process its request took (X-Bench-Queries, X-Bench-CPU-ms), and the worker's peak
resident memory so far (X-Bench-Peak-RSS-kB). A streamed response's queries run after its
headers are sent, so for those the count covers only the work done before streaming."""

import resource
import time

from django.db import connection


def measure(get_response):
    def middleware(request):
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        cpu = time.process_time()
        with connection.execute_wrapper(count):
            response = get_response(request)
        response["X-Bench-Queries"] = str(queries)
        response["X-Bench-CPU-ms"] = f"{(time.process_time() - cpu) * 1000:.2f}"
        response["X-Bench-Peak-RSS-kB"] = str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        return response

    return middleware
