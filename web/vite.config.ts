import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// A static build: CloudFront (or the local stack) serves dist/ with a runtime config.json beside it.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Pages are split (React.lazy); the shell carries React, the layout and sign-in only.
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
  },
});
