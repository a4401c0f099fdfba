#!/usr/bin/env python3
"""A worker for Orchestro Threads' `worker` steps, in plain Python (standard library only).

It long-polls a queue, heartbeats while it works, and completes each task with the prompt in
upper case: replace `work` with what your worker does.

    python3 worker.py --url http://localhost:8080 --queue shout [--tasks N]

--tasks N stops after N tasks (the default is to run until interrupted).
"""
import argparse
import json
import socket
import urllib.error
import urllib.request


def call(url, path, body):
    request = urllib.request.Request(
        url + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=90) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"null")


def work(task, heartbeat):
    """The task's work: here, the thread's prompt in upper case."""
    heartbeat("shouting")
    return {"text": str(task["input"].get("prompt", "")).upper()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--queue", required=True)
    parser.add_argument("--worker-id", default="py-" + socket.gethostname())
    parser.add_argument("--tasks", type=int, default=0)
    args = parser.parse_args()
    done = 0
    while args.tasks == 0 or done < args.tasks:
        status, tasks = call(
            args.url,
            "/api/tasks/poll",
            {"queues": [args.queue], "worker_id": args.worker_id, "max": 1, "wait_millis": 20000},
        )
        if status != 200:
            raise SystemExit(f"poll answered {status}: {tasks}")
        for task in tasks:
            task_path = "/api/tasks/" + task["task_id"]

            def heartbeat(progress):
                status, lease = call(args.url, task_path + "/heartbeat", {"progress": progress})
                if status != 200 or lease["cancel_requested"]:
                    raise InterruptedError("the task was taken back or cancelled")

            try:
                output = work(task, heartbeat)
            except InterruptedError:
                continue
            except Exception as failure:  # the step's retry policy decides what follows
                call(args.url, task_path + "/fail", {"error": str(failure), "retryable": True})
                continue
            status, answer = call(args.url, task_path + "/complete", {"output": output})
            # 409: the attempt was superseded or timed out meanwhile; nothing was changed
            print(f"task {task['task_id']} ({task['idempotency_key']}): {status}", flush=True)
            done += 1


if __name__ == "__main__":
    main()
