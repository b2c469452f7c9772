-- One database per service: no service reads another's tables.
-- Run once by the postgres image on an empty data directory
-- (/docker-entrypoint-initdb.d); the services create their tables themselves
-- (migrations at start-up). The Kubernetes development overlay carries an
-- identical copy (tests/deploy checks they match).
CREATE DATABASE wirestream_ingest;
CREATE DATABASE wirestream_enrich;
CREATE DATABASE wirestream_publish;
CREATE DATABASE wirestream_comments;
