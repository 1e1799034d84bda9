"""Running and deploying the platform: the local stack runner, bootstrap, manifests."""
