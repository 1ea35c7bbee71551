"""Distributed ingestion on Dask (`dxatlas ingest --workers N` or `--scheduler ADDRESS`).

The client reads the documents, finds each one's declared focus (making literature concepts in
document order, as the serial run does), and ships them in partitions (`work.Partition`); each
worker analyses them with an analyser it builds once (`worker`), and returns plain rows; the
client stores the rows in document order, one transaction per document (`feeder`).
"""
