"""Runs `akida serve` in the background on a free loopback port, then
`akida stream --remote` against it with the given arguments; prints both
outputs (server last) and exits with the client's status.

usage: serve_and_stream.py WORKDIR [SERVE ARGS...] -- [STREAM ARGS...]
"""
import os
import subprocess
import sys
import time

work = sys.argv[1]
sep = sys.argv.index("--")
serve_args, stream_args = sys.argv[2:sep], sys.argv[sep + 1:]
port_file = os.path.join(work, "port")
if os.path.exists(port_file):
    os.remove(port_file)
server = subprocess.Popen(
    ["akida", "serve", "--port", "0", "--port-file", port_file,
     "--sessions", "1"] + serve_args,
    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
for _ in range(300):
    if os.path.exists(port_file) or server.poll() is not None:
        break
    time.sleep(0.05)
if not os.path.exists(port_file):
    server.kill()
    print(server.communicate()[0])
    sys.exit("server did not start")
port = open(port_file).read().strip()
client = subprocess.run(
    ["akida", "stream", "--remote", "127.0.0.1:" + port] + stream_args,
    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
print(client.stdout.replace(port, "PORT"), end="")
try:
    out = server.communicate(timeout=30)[0]
except subprocess.TimeoutExpired:
    server.kill()
    out = server.communicate()[0] + "server did not stop\n"
print(out.replace(port, "PORT"), end="")
sys.exit(client.returncode)
