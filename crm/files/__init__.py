"""Files and photos on records: type checks from the content, thumbnails, upload / delete / restore through the
write path, and reads for screens and documents. Their bytes are kept by crm.store.blobs. Imports accounts, store
and models.
"""
