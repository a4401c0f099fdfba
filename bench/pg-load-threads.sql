-- Fills workflow_thread with :threads threads spread over 100 days, in the mix a service that has
-- run for a while holds: the older ones finished (93 % completed, 5 % failed) or paused, the
-- newest 3 % waiting or running. Run by psql with -v threads=N on a schema the service's
-- migrations made. Five workflow types; each thread has
-- three steps stored as the service stores them (JSON with the API's field names).
INSERT INTO workflow_thread (thread_id, title, workflow_type, workflow_version, status, request,
                             steps, error_message, created_at, start_time, last_updated,
                             finished_at, version, claim_owner, claim_until)
SELECT gen_random_uuid(),
       'thread ' || n,
       (ARRAY['general', 'research', 'report', 'translate', 'review'])[1 + n % 5],
       1,
       kind.status,
       '{"prompt":"thread ' || n || '","workflow_type":null,"title":null,"input":{}}',
       '[{"name":"s1","agent":"delay","status":"completed","attempts":1,"failures":0,'
           || '"started_at":"2026-01-01T00:00:00.000Z","finished_at":"2026-01-01T00:00:01.000Z",'
           || '"output":{"waited_millis":300},"error":null},'
           || '{"name":"s2","agent":"echo","status":"completed","attempts":1,"failures":0,'
           || '"started_at":"2026-01-01T00:00:01.000Z","finished_at":"2026-01-01T00:00:02.000Z",'
           || '"output":{"text":"' || repeat('x', 400) || '"},"error":null},'
           || '{"name":"s3","agent":"echo","status":"pending","attempts":0,"failures":0,'
           || '"started_at":null,"finished_at":null,"output":null,"error":null}]',
       CASE WHEN kind.status = 'failed' THEN 'step s3 failed' END,
       created,
       created + interval '1 second',
       created + interval '3 seconds',
       CASE WHEN kind.status IN ('completed', 'failed') THEN created + interval '3 seconds' END,
       3,
       CASE WHEN kind.status = 'running' THEN 'node-a' END,
       CASE WHEN kind.status = 'running' THEN now() + interval '15 seconds' END
FROM generate_series(1, :threads) AS n
CROSS JOIN LATERAL (SELECT now() - (interval '100 days' * (:threads - n) / :threads) AS created) AS at
CROSS JOIN LATERAL (
    SELECT CASE
               -- the newest 3 %: waiting or running
               WHEN n > :threads * 0.97 THEN CASE WHEN n % 3 = 0 THEN 'running' ELSE 'pending' END
               WHEN n % 100 < 93 THEN 'completed'
               WHEN n % 100 < 98 THEN 'failed'
               ELSE 'paused'
           END AS status) AS kind;
ANALYZE workflow_thread;
