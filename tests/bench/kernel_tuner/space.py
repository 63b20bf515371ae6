"""The benchmark's search space, in one place for both tools."""

TUNE_PARAMS = {
    "block_size_x": [16, 32, 64],
    "block_size_y": [2, 4, 8, 16],
    "tile_size_x": [1, 2, 4, 8],
    "tile_size_y": [1, 2, 4, 8],
    "tile_k": [16, 32],
}

# Valid in Python (Kernel Tuner) and muParser (kerntune) alike.
RESTRICTIONS = [
    "(block_size_y*tile_size_y+block_size_x*tile_size_x)*tile_k*4<=49152",
    "block_size_x*tile_size_x<=256",
    "block_size_y*tile_size_y<=64",
    "block_size_x*block_size_y>=64",
]

GRID_DIV_X = ["block_size_x", "tile_size_x"]
GRID_DIV_Y = ["block_size_y", "tile_size_y"]
WIDTH = 1024
