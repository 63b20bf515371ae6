// C = A * B for square WIDTH x WIDTH matrices, tiled in shared memory. Every thread computes a
// tile_size_y x tile_size_x block of C; the block of threads stages a tile_k-deep slice of A and
// B in shared memory per step. Works for any block and tile sizes that divide WIDTH.
#ifndef WIDTH
#define WIDTH 1024
#endif

extern "C" __global__ void matmul(float* C, const float* A, const float* B) {
    constexpr int rows = block_size_y * tile_size_y; // of C per block
    constexpr int cols = block_size_x * tile_size_x;
    constexpr int threads = block_size_x * block_size_y;
    __shared__ float sA[rows][tile_k];
    __shared__ float sB[tile_k][cols];

    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int tid = ty * block_size_x + tx;
    const int row0 = blockIdx.y * rows;
    const int col0 = blockIdx.x * cols;

    float sum[tile_size_y][tile_size_x];
#pragma unroll
    for (int i = 0; i < tile_size_y; i++)
#pragma unroll
        for (int j = 0; j < tile_size_x; j++)
            sum[i][j] = 0.0f;

    for (int k = 0; k < WIDTH; k += tile_k) {
        __syncthreads();
        for (int e = tid; e < rows * tile_k; e += threads)
            sA[e / tile_k][e % tile_k] = A[(row0 + e / tile_k) * WIDTH + k + e % tile_k];
        for (int e = tid; e < tile_k * cols; e += threads)
            sB[e / cols][e % cols] = B[(k + e / cols) * WIDTH + col0 + e % cols];
        __syncthreads();
#pragma unroll
        for (int kb = 0; kb < tile_k; kb++)
#pragma unroll
            for (int i = 0; i < tile_size_y; i++)
#pragma unroll
                for (int j = 0; j < tile_size_x; j++)
                    sum[i][j] += sA[ty + block_size_y * i][kb] * sB[kb][tx + block_size_x * j];
    }
#pragma unroll
    for (int i = 0; i < tile_size_y; i++)
#pragma unroll
        for (int j = 0; j < tile_size_x; j++)
            C[(row0 + ty + block_size_y * i) * WIDTH + col0 + tx + block_size_x * j] = sum[i][j];
}
