-- GitHub repository events beside the downloads, in their own database (pypi.github.database, "github" by
-- default; ${github} below is replaced by that name when the file is applied), in the layout ClickPy reads.
CREATE DATABASE IF NOT EXISTS ${github}
