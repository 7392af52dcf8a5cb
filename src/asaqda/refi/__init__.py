"""REFI-QDA project exchange (.qdpx, .qdc): MAXQDA, ATLAS.ti, NVivo and QualCoder."""
