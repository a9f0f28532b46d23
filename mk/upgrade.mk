# upgrade: guided upgrade and support bundle.
