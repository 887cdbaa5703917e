"""The app's widgets, one per module (file name = class name in snake_case).

Nothing is re-exported here: importing one widget must not import them all.
"""
