"""Names shared by the REFI-QDA reader and writer."""

#: namespace of REFI-QDA project files (Project.xsd)
PROJECT_NS = "urn:QDA-XML:project:1.0"
#: namespace of REFI-QDA codebook files (Codebook.xsd)
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: top-level code under which exported suggestions sit (Vorschläge > <code>)
SUGGESTION_BRANCH = "Vorschläge"
#: the user who "codes" the suggestions in an exported project
MACHINE_USER = "Vorcodierung (asaqda)"
