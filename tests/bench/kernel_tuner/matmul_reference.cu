// The reference: one thread per element of C, no tiling. Tuning parameters it ignores are
// still defined for it, so it compiles with any configuration of the space.
#ifndef WIDTH
#define WIDTH 1024
#endif

extern "C" __global__ void matmul(float* C, const float* A, const float* B) {
    const int col = blockIdx.x * block_size_x * tile_size_x + threadIdx.x;
    const int row0 = blockIdx.y * block_size_y * tile_size_y + threadIdx.y;
    for (int i = 0; i < tile_size_y; i++)
        for (int j = 0; j < tile_size_x; j++) {
            const int row = row0 + block_size_y * i;
            const int c = col + block_size_x * j;
            float sum = 0.0f;
            for (int k = 0; k < WIDTH; k++)
                sum += A[row * WIDTH + k] * B[k * WIDTH + c];
            C[row * WIDTH + c] = sum;
        }
}
