"""The longitudinal trainee panel: Arbeitsfähigkeit trajectories across Panelwellen."""
