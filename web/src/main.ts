import './styles/base.css';
import { landingPage, notFoundPage } from './pages/landing.ts';
import { Router, lazyPage, setRouter } from './router.ts';

const outlet = document.getElementById('app');
if (!outlet) throw new Error('index.html has no #app element');

const router = new Router(outlet, notFoundPage)
  .add('/', landingPage)
  .add('/exam/:sessionId', lazyPage(() => import('./pages/exam.ts').then((m) => m.examPage)))
  .add('/result/:sessionId', lazyPage(() => import('./pages/result.ts').then((m) => m.resultPage)))
  .add('/admin', lazyPage(() => import('./pages/admin.ts').then((m) => m.adminPage)))
  .add('/admin/sessions/:id', lazyPage(() => import('./pages/admin-session.ts').then((m) => m.adminSessionPage)));
setRouter(router);
router.start();
