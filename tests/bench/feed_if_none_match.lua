-- wrk script for the 304 run: every request carries If-None-Match with the ETag the server
-- gave for the feed (passed in $BENCH_ETAG), so every answer is 304 Not Modified.
wrk.headers["If-None-Match"] = os.getenv("BENCH_ETAG")
