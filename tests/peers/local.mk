# placeholder: the peers fragment
