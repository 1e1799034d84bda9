"""The documents service: file metadata, versions, checksums, access levels, storage on
MinIO/S3, certificates and their verification.
"""
