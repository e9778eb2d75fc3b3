// Dev server with the in-memory mock of the backend contract (dev/mock.ts).
import { defineConfig, mergeConfig } from 'vite';
import base from './vite.config';
import { mockApi } from './dev/mock';

export default mergeConfig(base, defineConfig({
  plugins: [{ name: 'mock-api', configureServer(server) { server.middlewares.use(mockApi()); } }],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
}));
