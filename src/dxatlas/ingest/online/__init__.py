"""Online sources, used only when the user asks: PubMed (NCBI E-utilities) and web pages."""
