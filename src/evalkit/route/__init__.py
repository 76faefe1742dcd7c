"""The route on top of the stages: the whole run for a scheduler, its lock, its record, publishing.

``evalkit run`` (:mod:`evalkit.route.run`) runs every stage in order under a lock on the
output folders (:mod:`evalkit.route.lock`), keeps a record of the run under
``<logs>/runs/`` (:mod:`evalkit.route.record`) and can publish the reviewer-facing
outputs in one swap (:mod:`evalkit.route.publish`, also ``evalkit publish``).
"""
