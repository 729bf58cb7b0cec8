"""The brand's content library and influencer network."""
