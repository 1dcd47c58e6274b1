#!/bin/sh
# Serves /www on port 8080; the page names this container, so each replica answers differently.
set -eu
echo "hello from $(hostname)" > /www/index.html
exec busybox httpd -f -p 8080 -h /www
