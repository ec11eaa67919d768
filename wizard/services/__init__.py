"""State changes with their side effects. Services never import `request`; views call them."""
